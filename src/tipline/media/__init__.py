"""Images: perceptual and exact hashes (PDQ, MD5, SHA-256), hash banks and matching."""
