"""What an organizer publishes: the frame model, its manifest, frame packs and bundled frames.

Never imports streamlit or sqlite_utils; knows nothing about rendering.
"""
from frames.bundled import bundled_frame, bundled_frames, bundled_ids, load_frame
from frames.errors import FrameError, FrameRemixError, Problem
from frames.model import Frame
from frames.pack import load_pack

__all__ = [
    "Frame", "FrameError", "FrameRemixError", "Problem",
    "bundled_frame", "bundled_frames", "bundled_ids", "load_frame", "load_pack",
]
