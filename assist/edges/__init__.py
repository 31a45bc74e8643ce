"""The edges: command line, HTTP and Gradio. They translate errors into exit codes, status codes and messages."""
