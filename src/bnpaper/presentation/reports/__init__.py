"""Text and Markdown tables of the chapters' results, one module per topic."""
