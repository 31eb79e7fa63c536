"""Hand-written numerical engines behind the analyses (see README.md: why each is not a library call)."""
