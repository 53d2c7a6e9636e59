using System.Security.Cryptography;
using Clearway.Data.Schema;
using Clearway.States;
using Npgsql;

namespace Clearway.TestDatabases;

/// <summary>
/// The role the test databases belong to and whose credentials clients get: able to log in and to own its databases,
/// nothing more (no superuser, no CREATEDB, no CREATEROLE). Its password is made anew at every start of the service,
/// so credentials a client was given die with the service that gave them.
/// </summary>
internal sealed class TestRole
{
    private TestRole(string name, string password) => (Name, Password) = (name, password);

    public string Name { get; }

    public string Password { get; }

    public static async Task<TestRole> EnsureAsync(StateServer server, string name, CancellationToken ct)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        await using var admin = await server.OpenAdminAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", admin) { Parameters = { new() { Value = name } } })
        {
            var verb = await exists.ExecuteScalarAsync(ct) is true ? "ALTER" : "CREATE";
            // The password goes in the statement's text on the admin session (never in a process's arguments).
            await StateServer.ExecuteAsync(admin,
                $"{verb} ROLE {PostgresIdentifier.Quote(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '{password}'", ct);
        }
        return new TestRole(name, password);
    }

    /// <summary>How a client connects to <paramref name="database"/> as this role (the server's host and port).</summary>
    public DatabaseConfig ConfigFor(StateServer server, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString);
        return new DatabaseConfig(admin.Host!, admin.Port, Name, Password, database);
    }

    /// <summary>Makes the role the owner of everything of Clearway's in a database (tables, views, sequences, enum types, the schema).</summary>
    public async Task TakeOverAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        var role = PostgresIdentifier.Quote(Name);
        await StateServer.ExecuteAsync(connection, $$"""
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                         -- A sequence a column owns (serial, identity) changes owner with its table, and refuses to alone.
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) LOOP
                EXECUTE format('ALTER %s %s OWNER TO {{role}}',
                  CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
              END LOOP;
              FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                       WHERE n.nspname = 'public' AND t.typtype = 'e' LOOP
                EXECUTE format('ALTER TYPE %s OWNER TO {{role}}', r.name);
              END LOOP;
            END $$;
            ALTER SCHEMA public OWNER TO {{role}};
            """, ct);
    }
}
