"""The consumer assistant: anti-fraud answers from consumer knowledge only, the scam check, the attack filter, the
wall on the way out, and expiring chat sessions."""
