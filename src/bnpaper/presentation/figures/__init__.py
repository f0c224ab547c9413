"""The book's figures, one module per topic: each function draws one named figure."""
