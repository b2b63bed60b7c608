"""Literature architectures: builders of generator families with their known dimensions."""
