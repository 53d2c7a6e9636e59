using System.Text.RegularExpressions;
using Clearway.Postgres;
using Microsoft.Extensions.Configuration;

namespace Clearway.AppHost;

/// <summary>Where PostgreSQL comes from.</summary>
internal enum PostgresMode
{
    /// <summary>A container from <see cref="PostgresSettings.Image"/> (the default).</summary>
    Container,

    /// <summary>A server from the local PostgreSQL binaries, run by Aspire as an executable (no container engine needed).</summary>
    Local,

    /// <summary>An existing server named by <c>ConnectionStrings:clearway</c>.</summary>
    External,
}

/// <summary>The container image and what runs beside it (section <c>Clearway:Postgres</c>).</summary>
internal sealed class PostgresSettings
{
    public PostgresMode Mode { get; set; } = PostgresMode.Container;

    /// <summary>Registry to pull from, e.g. an internal mirror; empty for an image that exists only locally.</summary>
    public string? Registry { get; set; }

    public string Image { get; set; } = "";

    /// <summary>The tag; its leading number is the PostgreSQL major (the data volume's path depends on it).</summary>
    public string Tag { get; set; } = "";

    /// <summary>
    /// Container mode: the data volume's name. Left out: Aspire's default for this AppHost. Another name is another,
    /// separate database in the same container (a benchmark's fresh one, a second branch's), the usual one untouched.
    /// </summary>
    public string? DataVolume { get; set; }

    /// <summary>Local mode: the server's directory, kept between runs. Empty: <c>apphost-postgres</c> in the Clearway data folder.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Container and local mode: statements slower than this many milliseconds have their plan in the <c>postgres</c>
    /// console log (auto_explain); -1 turns it off.
    /// </summary>
    public int SlowQueryMs { get; set; } = ServerSettings.DefaultSlowQueryMs;

    /// <summary>pgAdmin beside the container; off by default, as its image (dpage/pgadmin4) must come from Docker Hub.</summary>
    public bool PgAdmin { get; set; }
}

/// <summary>The AppHost's own settings, read before the app model is built (they decide which resources exist).</summary>
internal sealed partial class AppHostSettings
{
    public const string Section = "Clearway";

    public PostgresSettings Postgres { get; set; } = new();

    /// <summary>Binds section <c>Clearway</c> and checks it.</summary>
    /// <exception cref="AppHostSettingsException">A setting is missing or malformed; the message is one line.</exception>
    public static AppHostSettings Read(IConfiguration configuration)
    {
        // Checked before binding: the binder's own words ("Requested value 'x' was not found.") name neither the setting nor the choices.
        CheckChoice(configuration, $"{Section}:Postgres:Mode", Enum.GetNames<PostgresMode>().Select(n => n.ToLowerInvariant()).ToArray());
        CheckChoice(configuration, $"{Section}:Postgres:PgAdmin", ["true", "false"]);
        AppHostSettings settings;
        try
        {
            settings = configuration.GetSection(Section).Get<AppHostSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new AppHostSettingsException($"{Section} settings: {e.GetBaseException().Message}");
        }
        settings.Validate(configuration);
        return settings;
    }

    private static void CheckChoice(IConfiguration configuration, string key, string[] choices)
    {
        if (configuration[key] is not { } value)
            return;
        var accepted = string.Join(", ", choices.SkipLast(1)) + " or " + choices[^1];
        if (string.IsNullOrWhiteSpace(value))
            throw new AppHostSettingsException($"{key} is empty: use {accepted}, or leave the setting out for the default.");
        if (!choices.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
            throw new AppHostSettingsException($"{key} is '{value}': use {accepted}.");
    }

    // Docker's own rule for volume names.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex VolumeName();

    private void Validate(IConfiguration configuration)
    {
        if (!Enum.IsDefined(Postgres.Mode))
            throw new AppHostSettingsException($"{Section}:Postgres:Mode must be container, local or external.");
        if (Postgres.Mode == PostgresMode.Container)
        {
            if (string.IsNullOrWhiteSpace(Postgres.Image))
                throw new AppHostSettingsException($"{Section}:Postgres:Image is empty: name the PostgreSQL image (appsettings.json has the default).");
            if (string.IsNullOrWhiteSpace(Postgres.Tag))
                throw new AppHostSettingsException($"{Section}:Postgres:Tag is empty: name the image tag, e.g. 17.");
        }
        if (Postgres.DataVolume is { } volume && !VolumeName().IsMatch(volume))
            throw new AppHostSettingsException(
                $"{Section}:Postgres:DataVolume '{volume}' is not a volume name: use letters, digits, '_', '.' or '-' (at least 2, starting with a letter or digit), or leave the setting out for the default.");
        if (Postgres.SlowQueryMs < -1)
            throw new AppHostSettingsException($"{Section}:Postgres:SlowQueryMs is {Postgres.SlowQueryMs}: use milliseconds (0 logs every plan), or -1 to log none.");
        if (Postgres.DataDirectory is { } directory && string.IsNullOrWhiteSpace(directory))
            throw new AppHostSettingsException($"{Section}:Postgres:DataDirectory is empty: name a directory, or leave the setting out for the default.");
        if (Postgres.Mode == PostgresMode.External && string.IsNullOrWhiteSpace(configuration.GetConnectionString(ClearwayConnectionString.Name)))
            throw new AppHostSettingsException(
                $"{Section}:Postgres:Mode is external but ConnectionStrings:clearway is not set: set it (user secrets or ConnectionStrings__clearway) to the server to use.");
    }
}

/// <summary>Bad AppHost configuration: one line naming the setting and the fix (exit 2, before anything starts).</summary>
internal sealed class AppHostSettingsException(string message) : Exception(message), IClearwayFailure
{
    public int ExitCode => ExitCodes.Refused;

    public string? Hint => null;
}
