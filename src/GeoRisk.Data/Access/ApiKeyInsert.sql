INSERT INTO api_key (id, role, label, hash, salt, iterations)
VALUES (@id, @role, @label, @hash, @salt, @iterations)
RETURNING created_at
