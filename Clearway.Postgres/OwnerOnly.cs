namespace Clearway.Postgres;

/// <summary>Directories (0700) and files (0600) that only their owner may use: the socket, password and config live in them.</summary>
internal static class OwnerOnly
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory (and missing parents) or, when it exists, takes away what group and others had.</summary>
    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }
        System.IO.Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Writes the file, born 0600 (never readable by others, not even for a moment), and keeps it 0600.</summary>
    public static void WriteFile(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerFileMode;
        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
            writer.Write(content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, OwnerFileMode);
    }

    /// <summary>Opens (creating 0600) a file for an exclusive lock: <see cref="FileShare.None"/> is flock(LOCK_EX) on Unix.</summary>
    public static FileStream OpenExclusive(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerFileMode;
        return new FileStream(path, options);
    }
}
