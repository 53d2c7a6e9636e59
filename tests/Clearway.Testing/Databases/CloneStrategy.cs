namespace Clearway.Testing.Databases;

/// <summary>How <c>CREATE DATABASE ... TEMPLATE</c> copies the template (PostgreSQL 15+).</summary>
public enum CloneStrategy
{
    /// <summary>WAL_LOG below <see cref="ClearwayDatabaseFactoryOptions.FileCopyThresholdBytes"/>, FILE_COPY above (measured: see README).</summary>
    Auto,
    /// <summary>Copies block by block through the WAL: no checkpoint, cost grows with size.</summary>
    WalLog,
    /// <summary>Copies the files: two checkpoints, then a cost that grows slowly with size.</summary>
    FileCopy,
}
