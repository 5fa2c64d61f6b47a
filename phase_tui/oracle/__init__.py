"""The oracle: crates and playlists imported into the sample library, the curation queue,
the slicer and its log, remix sessions, and suggestions of similar samples."""
