"""Reading, cleaning, article splitting, chunking, embeddings, Chroma and retrieval."""
