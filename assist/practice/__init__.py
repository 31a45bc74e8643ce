"""Practice mode for staff: the assistant plays a labelled caller, the trainee replies, each reply is scored."""
