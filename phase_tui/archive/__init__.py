"""Archives: zip snapshots of the studio (full or minimal), their manifests and diffs,
and restoring from them into a new folder."""
