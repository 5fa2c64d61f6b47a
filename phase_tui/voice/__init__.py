"""Voice memos: capture from the microphone, Whisper transcription, and the context stream
that turns spoken words into tags, scratchpad notes and commands."""
