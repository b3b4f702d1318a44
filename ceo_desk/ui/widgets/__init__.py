"""Small reusable widgets and helpers shared by several screens."""
