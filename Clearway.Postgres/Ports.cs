using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Clearway.Postgres;

/// <summary>TCP ports on 127.0.0.1: free or taken, privileged or not.</summary>
/// <summary>TCP ports on the loopback address.</summary>
public static class Ports
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Not ours to bind (privileged, as a normal user): taken by nobody as far as we can tell.
            return true;
        }
    }

    /// <summary>A port nobody listens on right now (the kernel's choice).</summary>
    public static int Free()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>The lowest port an unprivileged account may bind (Linux: net.ipv4.ip_unprivileged_port_start, else 1024).</summary>
    public static int UnprivilegedStart()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 1024;
        }
    }
}
