using System;
using System.Net;
using System.Net.Sockets;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class XdpTests
{
    private const uint XdpPass = 2, XdpRedirect = 4, Lo = 1;

    private static byte[] Frame()
    {
        var f = new byte[64];
        for (int i = 0; i < 6; i++) f[i] = 0xff; // broadcast destination MAC
        f[12] = 0x08; // EtherType IPv4
        return f;
    }

    [SkippableFact]
    public void Devmap_hash_redirect_through_test_run()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(Fixtures.Linux("xdp_redirect.bpf.o"));
        spec.SetGlobal("redirect_key", 3u);
        using var obj = BpfObject.Load(spec);
        var redirect = obj.Program("redirect");
        var ports = obj.Map("ports");

        // No entry for key 3: bpf_redirect_map falls back to its flags (XDP_PASS).
        Assert.Equal(XdpPass, redirect.TestRun(Frame()).ReturnValue);
        ports.Update(3u, Lo);
        Assert.Equal(XdpRedirect, redirect.TestRun(Frame()).ReturnValue);
        Assert.True(ports.TryLookup(3u, out uint ifindex) && ifindex == Lo);
        ports.Delete(BitConverter.GetBytes(3u));
        Assert.Equal(XdpPass, redirect.TestRun(Frame()).ReturnValue);
    }

    [SkippableFact]
    public void Xdp_link_on_loopback_of_a_private_netns_counts_frames()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("xdp_redirect.bpf.o"));
        const int datagrams = 12;
        ulong counted = TestNative.InPrivateNetns(() =>
        {
            TestNative.InterfaceUp("lo");
            using var link = Attach.Xdp(obj.Program("count_packets"), "lo");
            using var rx = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            rx.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var tx = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var buf = new byte[32];
            for (int i = 0; i < datagrams; i++)
            {
                tx.SendTo(buf, rx.LocalEndPoint!);
                rx.Receive(buf);
            }
            Assert.True(obj.Map("frames").TryLookup(0u, out ulong n));
            return n;
        });
        Assert.Equal((ulong)datagrams, counted);
    }
}
