using CSharpBpf.TestSupport;
using SocketStorage;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/SocketStorage: sk_storage and the cookie-keyed hash map count the same packets for a socket.</summary>
public sealed class SocketStorageTests
{
    [Fact]
    public void In_the_vm_both_ways_count_every_packet_and_byte_of_the_socket()
    {
        var r = Demo.RunVm(50);
        Assert.Equal(50UL, r[0].Packets);
        Assert.Equal(50UL, r[1].Packets);
        Assert.Equal(r[0].Bytes, r[1].Bytes);
        Assert.True(r[0].Bytes >= 50 * 100);
    }

    [SkippableFact]
    public void In_the_kernel_both_ways_count_at_least_every_message_of_the_connection()
    {
        KernelSkip.UnlessBpfAllowed();
        var r = Demo.RunKernel(100);
        Assert.InRange(r[0].Packets, 100UL, 110UL); // + handshake ACK and the like
        Assert.InRange(r[1].Packets, 100UL, 110UL);
        Assert.True(r[0].Bytes >= 100 * 64);
    }
}
