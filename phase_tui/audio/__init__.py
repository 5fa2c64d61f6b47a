"""Reading and drawing audio files: headers, hashes, levels, loudness, peaks, sections, art.

Pure domain, no Textual.

One module per job; import the one you need (nothing is re-exported here, so hashing a
file never loads numpy; nothing here loads scipy):

- `probe`: `probe()`, `AudioHeader`, `UnreadableAudio` (header only, fast, never raises
  anything else; flags truncated and never-finalised WAV/AIFF)
- `hashing`: `content_hash()`, streaming XXH3-128 of the file bytes
- `levels`: `analyse_levels()` -> `Levels` (peak, RMS, LUFS) in one streaming pass
- `loudness`: `LoudnessMeter`, streaming ITU-R BS.1770-4 integrated loudness
- `stream`: `AudioStream`, the shared block-by-block decode loop (reused float32 buffer)
- `pcm`: PCM and float WAV/AIFF decoded with numpy (bit for bit as libsndfile, faster)
- `peaks`, `peak_pyramid`, `peaks_cache`: `compute_peaks()` -> `Peaks` (a multi-resolution
  min/max/RMS pyramid read as display columns), cached on disk by content hash
- `sections`, `section_detection`: `Section`, `detect_sections()` from the energy
- `overview`: `load_overview()`: peaks (cached), sections and loudness of one file
- `braille`, `ruler`, `viewport`: waveforms as text, the time ruler, the visible window
- `art` (with `art_layout`, `art_palette`, `art_waveform`, `art_fonts`): PNG art (Pillow)
- `readahead`: `ReadAhead`, a long file's blocks decoded on a helper thread
- `biquads`: `BiquadCascade`, recursive filters run by matrix products (K-weighting)
- `headers`: plain WAV and FLAC headers read without libsndfile (for `probe`)
- `scratch`: working arrays kept per thread from one file to the next
- `errors`, `opening`, `chunks`, `window`, `kweighting`: their helpers
"""
