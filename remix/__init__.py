"""The engine: a frame plus a participant's input becomes images and texts.

Pure: never imports streamlit or sqlite_utils, never reads the database.
"""
from remix.errors import PhotoError, RemixError
from remix.photo import Photo, load_photo
from remix.posttext import Texts, build_texts
from remix.render import RenderOptions, encode, extension, render
from remix.values import clean_values

__all__ = [
    "Photo", "PhotoError", "RemixError", "RenderOptions", "Texts",
    "build_texts", "clean_values", "encode", "extension", "load_photo", "render",
]
