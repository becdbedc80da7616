ALTER TABLE ballots RESET (toast_tuple_target);
