-- Teams' chat and call links name users by their user principal name (UPN), which may differ from
-- the mail address: one entered on the employee, and the one Graph's GET /me answered for a
-- sign-in (NULL until the app has read it).
ALTER TABLE employees ADD COLUMN user_principal_name TEXT;
ALTER TABLE sign_ins ADD COLUMN user_principal_name TEXT;
