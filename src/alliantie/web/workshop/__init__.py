"""The workshop service: join codes and tokens, roles, sketches, syntheses, undo, the log and the event bus."""
