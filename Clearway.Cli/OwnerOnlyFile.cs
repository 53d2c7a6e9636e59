using System.Text;

namespace Clearway.Cli;

/// <summary>Files that hold a password (the up state, a .env, the test server's URL): born readable and writable by their owner alone.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="text"/> to a new file beside <paramref name="path"/> (mode 0600 from its creation) and renames it over <paramref name="path"/>.</summary>
    public static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        var temporary = path + ".clearway-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var writer = new StreamWriter(temporary, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
            await writer.WriteAsync(text.AsMemory(), ct);
        File.Move(temporary, path, overwrite: true);
    }
}
