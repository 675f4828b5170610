using System;
using TcpCongestion;
using Xunit;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

public sealed class OptionsTests
{
    [Fact]
    public void Link_options_and_run_selection_are_parsed()
    {
        var o = Options.Parse(new[] { "--bandwidth-mbps", "2.5", "--rtt-ms", "80", "--queue-packets", "12", "--loss", "0.01", "--duration", "3", "--vm-only" });
        Assert.Equal(2.5, o.Link.BandwidthMbps);
        Assert.Equal(80, o.Link.RttMs);
        Assert.Equal(12, o.Link.QueuePackets);
        Assert.Equal(0.01, o.Link.LossRate);
        Assert.Equal(3, o.Link.DurationSeconds);
        Assert.True(o.VmOnly);
        Assert.False(o.KernelOnly);
    }

    [Theory]
    [InlineData("--rtt-ms", "fast", "--rtt-ms needs a number")]
    [InlineData("--queue-packets", "0", "--queue-packets must be in")]
    [InlineData("--frobnicate", null, "unknown option '--frobnicate'")]
    [InlineData("--loss", null, "--loss needs a value")]
    public void Bad_options_are_refused_naming_the_option(string option, string? value, string message)
    {
        var args = value is null ? new[] { option } : new[] { option, value };
        var e = Assert.Throws<ArgumentException>(() => Options.Parse(args));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Vm_only_and_kernel_only_exclude_each_other()
    {
        Assert.Throws<ArgumentException>(() => Options.Parse(new[] { "--vm-only", "--kernel-only" }));
    }
}
