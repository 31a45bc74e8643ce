"""Gradio user interfaces (edges): the staff sidebar."""
