INSERT INTO api_key (id, role, label, hash, salt, iterations, partner)
VALUES (@id, @role, @label, @hash, @salt, @iterations, @partner)
RETURNING created_at
