"""Settings split by environment: base, dev, production, test. Differences come from environment variables."""
