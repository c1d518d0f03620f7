"""What every page shares: layout, accessible forms, rate limiting, demo data, commands."""
