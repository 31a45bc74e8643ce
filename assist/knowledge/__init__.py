"""The knowledge base: its format (front matter, the signal taxonomy), loading every file type, checking a folder,
chunking, incremental ingestion into index generations, and hybrid retrieval."""
