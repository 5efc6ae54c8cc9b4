"""Reading documents from files, stdin and strings into text the pipeline can trust."""

from fidelity.io.load import LoadedText, load_path, load_text

__all__ = ["LoadedText", "load_path", "load_text"]
