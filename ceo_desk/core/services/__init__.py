"""Services: plain typed functions over a unit of work; the GUI and the CLI both call them."""
