using System;
using System.IO;
using CSharpBpf.Linux.StructOps;
using Xunit;

namespace CSharpBpf.Linux.Tests.Support;

/// <summary>TCP congestion control registered from a struct_ops map, as the seed and twin tests exercise it.</summary>
internal static class CongestionControl
{
    private const string AvailablePath = "/proc/sys/net/ipv4/tcp_available_congestion_control";

    /// <summary>The names the kernel offers for TCP_CONGESTION right now.</summary>
    public static string[] Available() => File.ReadAllText(AvailablePath).Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Registers <paramref name="cc"/> (called <paramref name="name"/> in the kernel) and checks the kernel lists it,
    /// runs <paramref name="registered"/>, carries a loopback transfer of <paramref name="bytes"/> under it, runs
    /// <paramref name="afterTransfer"/>, then unregisters (also when a check fails) and checks the name is gone.
    /// </summary>
    public static void RegisterAndTransfer(StructOpsMap cc, string name, long bytes,
        Action<StructOpsRegistration>? registered = null, Action? afterTransfer = null)
    {
        Assert.DoesNotContain(name, Available());
        using (var registration = cc.Register())
        {
            Assert.Contains(name, Available());
            registered?.Invoke(registration);
            using (var conn = Loopback.Connect(c => Loopback.SetCongestionControl(c, name)))
            {
                Assert.Equal(name, Loopback.GetCongestionControl(conn.Client));
                Assert.Equal(bytes, conn.Transfer(bytes));
            }
            afterTransfer?.Invoke();
        }
        Assert.DoesNotContain(name, Available());
    }
}
