using System.Globalization;

namespace Clearway.Postgres;

/// <summary>
/// Exclusive ownership of a server directory for as long as this object lives: an OS file lock (flock, through
/// <see cref="FileShare.None"/>) on <c>clearway.lock</c>, which the kernel releases when the process dies, however it
/// dies. The holder's pid goes into <c>clearway.lock.owner</c>, because a file locked that way cannot be read by others.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    public const string FileName = "clearway.lock";
    public const string OwnerFileName = "clearway.lock.owner";

    private readonly FileStream _lock;
    private readonly string _ownerFile;

    private DirectoryLock(FileStream @lock, string ownerFile)
    {
        _lock = @lock;
        _ownerFile = ownerFile;
    }

    /// <summary>Takes the lock at once or refuses, naming the holder.</summary>
    public static DirectoryLock Acquire(string directory)
    {
        var ownerFile = Path.Combine(directory, OwnerFileName);
        FileStream stream;
        try
        {
            stream = OwnerOnly.OpenExclusive(Path.Combine(directory, FileName));
        }
        catch (UnauthorizedAccessException)
        {
            throw new PostgresStartRefusedException(PostgresRefusal.DirectoryNotOurs,
                $"Data directory '{directory}' cannot be locked by you (its lock file belongs to another account): use a directory of your own.");
        }
        catch (IOException)
        {
            var holder = ReadOwner(ownerFile) is { } pid ? $"pid {pid.ToString(CultureInfo.InvariantCulture)}" : "pid unknown";
            throw new PostgresStartRefusedException(PostgresRefusal.DirectoryInUse,
                $"Data directory '{directory}' is in use by another process ({holder}): stop that one first, or use another directory.");
        }
        OwnerOnly.WriteFile(ownerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new DirectoryLock(stream, ownerFile);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale owner file is harmless: it is only read while someone holds the lock, and every holder rewrites it.
        }
        // The lock file itself stays: deleting it would let two processes lock two different files of that name.
        _lock.Dispose();
    }

    private static int? ReadOwner(string ownerFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
