using System;
using System.Globalization;
using TcpCongestion.Simulation;

namespace TcpCongestion;

/// <summary>Command-line options: the link of the simulated flow, which steps to run, which object to use.</summary>
public sealed record Options
{
    public LinkParameters Link { get; init; } = new();
    public bool VmOnly { get; init; }
    public bool KernelOnly { get; init; }

    /// <summary>Another struct_ops object to run instead of the C# class (e.g. a clang-built one).</summary>
    public string? ObjectPath { get; init; }
    public string? StructOpsName { get; init; }
    public string? SvgPath { get; init; }
    public int TransferMegabytes { get; init; } = 64;

    public const string Usage =
        "usage: dotnet run --project samples/TcpCongestion -- [--bandwidth-mbps N] [--rtt-ms N] [--queue-packets N]\n" +
        "         [--loss P] [--reorder P] [--seed N] [--duration SECONDS] [--vm-only | --kernel-only]\n" +
        "         [--transfer-mb N] [--svg FILE] [--object FILE.bpf.o --struct-ops NAME]";

    /// <summary>Parses <paramref name="args"/>; throws ArgumentException naming the bad option.</summary>
    public static Options Parse(string[] args)
    {
        var o = new Options();
        var link = o.Link;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            double Number() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : throw new ArgumentException($"{a} needs a number, got '{args[i]}'");
            int Integer() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
                : throw new ArgumentException($"{a} needs an integer, got '{args[i]}'");
            switch (a)
            {
                case "--bandwidth-mbps": link = link with { BandwidthMbps = Number() }; break;
                case "--rtt-ms": link = link with { RttMs = Number() }; break;
                case "--queue-packets": link = link with { QueuePackets = Integer() }; break;
                case "--loss": link = link with { LossRate = Number() }; break;
                case "--reorder": link = link with { ReorderRate = Number() }; break;
                case "--seed": link = link with { Seed = Integer() }; break;
                case "--duration": link = link with { DurationSeconds = Number() }; break;
                case "--vm-only": o = o with { VmOnly = true }; break;
                case "--kernel-only": o = o with { KernelOnly = true }; break;
                case "--transfer-mb": o = o with { TransferMegabytes = Integer() }; break;
                case "--svg": o = o with { SvgPath = Value() }; break;
                case "--object": o = o with { ObjectPath = Value() }; break;
                case "--struct-ops": o = o with { StructOpsName = Value() }; break;
                default: throw new ArgumentException($"unknown option '{a}'");
            }
        }
        link.Validate();
        if (o.VmOnly && o.KernelOnly) throw new ArgumentException("--vm-only and --kernel-only exclude each other");
        if (o.TransferMegabytes < 1 || o.TransferMegabytes > 4096) throw new ArgumentException($"--transfer-mb must be in [1, 4096], got {o.TransferMegabytes}");
        if ((o.ObjectPath is null) != (o.StructOpsName is null)) throw new ArgumentException("--object and --struct-ops go together");
        return o with { Link = link };
    }
}
