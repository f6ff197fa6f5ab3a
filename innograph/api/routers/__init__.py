"""One router per resource. Each `router(limits)` builds its routes with the configured caps
baked into the parameter declarations, so the OpenAPI schema states the real maxima."""
