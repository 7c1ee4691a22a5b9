"""Adapters: embeddings, vector store, LLM. Features depend on these, never on vendor SDKs directly."""
