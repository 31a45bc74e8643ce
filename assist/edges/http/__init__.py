"""The web app (assist.edges.http.app) and its routers: staff, consumer, document review."""
