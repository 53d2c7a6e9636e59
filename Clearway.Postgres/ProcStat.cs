using System.Globalization;

namespace Clearway.Postgres;

/// <summary>
/// A process's start time from <c>/proc/&lt;pid&gt;/stat</c> (clock ticks since boot): with the pid, it names one process
/// for good, because a pid is reused only by a process started later.
/// </summary>
internal static class ProcStat
{
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // After "pid (comm) ": state is field 3, starttime field 22; comm may hold spaces, so count from its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] is "Z" or "X")
                return null;
            return long.Parse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
