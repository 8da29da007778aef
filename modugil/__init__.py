"""modugil (모두의 길): community accessibility mapping, barrier-free routing, parking-violation hotspots."""
