"""HTTP sources in, numbers out: transport, auth, decoding, selectors and per-kind readers."""
