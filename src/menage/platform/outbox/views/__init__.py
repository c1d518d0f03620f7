"""Views, one module per flow."""
