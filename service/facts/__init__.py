"""The figure-fact layer: every figure of a bulletin read once at ingest (service.facts.reading), kept in
the catalog (service.facts.store) and shared by the answerers and the key-figure tables."""
