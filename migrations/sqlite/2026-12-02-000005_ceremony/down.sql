DROP TABLE trustee_slots;
