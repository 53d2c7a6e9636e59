namespace Clearway.Testing;

/// <summary>How <see cref="PostgresServer.StartAsync"/> starts a private server. Ignored for an external server.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>
    /// The server's own directory (data, socket, log). Null: a fresh temp dir. An existing directory must be
    /// empty or one created earlier by Clearway.Testing (then it is reused, with its password).
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1. Null: a free port chosen by the OS.</summary>
    public int? Port { get; init; }

    /// <summary>Keep the directory on dispose (the server is still stopped). For persistent data dirs.</summary>
    public bool KeepData { get; init; }

    /// <summary>
    /// Always start a private server, even when <c>CLEARWAY_TEST_POSTGRES</c> names an external one
    /// (for hosts such as <c>clearway up</c> that own a persistent data directory).
    /// </summary>
    public bool IgnoreExternalServer { get; init; }

    /// <summary>Test seam: where the external admin connection string comes from (default: env CLEARWAY_TEST_POSTGRES).</summary>
    internal Func<string?>? ExternalConnectionString { get; init; }

    /// <summary>Test seam: finds the directory holding initdb and pg_ctl (default: <see cref="PostgresBinaries.Locate"/>).</summary>
    internal Func<string?>? BinDirectoryLocator { get; init; }
}
