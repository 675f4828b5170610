using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CSharpBpf.Compiler.Tests.Backend.Emit;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Kernel;

/// <summary>
/// A compiled object loaded into the kernel by bpftool (a reference loader, not a dependency): programs
/// and maps pinned under /sys/fs/bpf, runs through BPF_PROG_TEST_RUN, map values read back. Dispose
/// removes the pins, which frees everything. Callers skip first unless BPF may be loaded and bpftool exists.
/// </summary>
internal sealed class PinnedObject : IDisposable
{
    private readonly string _bpftool;
    private readonly string _object, _progs, _maps;

    public PinnedObject(byte[] elf, string tag)
    {
        _bpftool = ExternalTools.Find("bpftool") ?? throw new InvalidOperationException("bpftool not installed");
        tag = $"csbpf_{tag}_{Environment.ProcessId}";
        _object = Path.Combine(Path.GetTempPath(), tag + ".bpf.o");
        _progs = "/sys/fs/bpf/" + tag;
        _maps = "/sys/fs/bpf/" + tag + "_maps";
        File.WriteAllBytes(_object, elf);
        try { Tool("prog", "loadall", _object, _progs, "pinmaps", _maps); }
        catch { Dispose(); throw; }
    }

    /// <summary>Runs program <paramref name="name"/> once on <paramref name="packet"/>.</summary>
    public void Run(string name, byte[] packet)
    {
        string file = _object + ".in";
        File.WriteAllBytes(file, packet);
        try { Tool("prog", "run", "pinned", _progs + "/" + name, "data_in", file); }
        finally { File.Delete(file); }
    }

    /// <summary>The value bytes of a 4-byte key, or null when the key is absent.</summary>
    public byte[]? Lookup(string map, uint key)
    {
        var args = new[] { "-j", "map", "lookup", "pinned", _maps + "/" + map, "key" }
            .Concat(BitConverter.GetBytes(key).Select(b => b.ToString())).ToArray();
        var (exit, stdout, stderr) = ExternalTools.Run(_bpftool, args);
        if (exit != 0 && (stdout + stderr).Contains("No such file or directory", StringComparison.Ordinal)) return null; // ENOENT: no such key
        Assert.True(exit == 0, $"bpftool {string.Join(' ', args)} failed ({exit}):\n{stdout}\n{stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var value = doc.RootElement.GetProperty("value");
        if (value.ValueKind != JsonValueKind.Array) throw new InvalidOperationException("unexpected bpftool output: " + stdout);
        return value.EnumerateArray().Select(v => Convert.ToByte(v.GetString(), 16)).ToArray();
    }

    private void Tool(params string[] args)
    {
        var (exit, stdout, stderr) = ExternalTools.Run(_bpftool, args);
        Assert.True(exit == 0, $"bpftool {string.Join(' ', args)} failed ({exit}):\n{stdout}\n{stderr}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_progs)) Directory.Delete(_progs, true);
        if (Directory.Exists(_maps)) Directory.Delete(_maps, true);
        File.Delete(_object);
    }
}
