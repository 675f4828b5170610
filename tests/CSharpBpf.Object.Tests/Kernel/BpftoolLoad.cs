using System;
using System.IO;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>Object bytes in a temporary .o file for an external tool (bpftool, llvm-objdump); Dispose deletes it.</summary>
internal sealed class TempObjectFile : IDisposable
{
    public TempObjectFile(byte[] bytes, string tag)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"csbpf-{tag}-{Guid.NewGuid():N}.o");
        File.WriteAllBytes(Path, bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}

/// <summary>
/// bpftool (libbpf) loading an object from a temporary file and pinning what it loaded under /sys/fs/bpf:
/// the proof that a libbpf-family loader takes our writer's output. Dispose removes the pins (the kernel
/// then frees the programs and maps) and the file, so a test leaves no kernel state behind.
/// </summary>
internal sealed class BpftoolLoad : IDisposable
{
    private readonly TempObjectFile _file;
    private readonly string _verb;

    private BpftoolLoad(byte[] obj, string tag, string verb)
    {
        _verb = verb;
        _file = new TempObjectFile(obj, tag);
        Pin = $"/sys/fs/bpf/csbpf_{tag}_{Guid.NewGuid():N}";
        try
        {
            Result = ExternalTool.Run("bpftool", "prog", verb, _file.Path, Pin);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>`bpftool prog load`: the object's one program, pinned at <see cref="Pin"/>.</summary>
    public static BpftoolLoad Program(byte[] obj, string tag) => new(obj, tag, "load");

    /// <summary>`bpftool prog loadall`: every program, pinned by name in the directory <see cref="Pin"/>.</summary>
    public static BpftoolLoad All(byte[] obj, string tag) => new(obj, tag, "loadall");

    public string Pin { get; }

    public ExternalTool.Result Result { get; } = new(-1, "", "");

    public void AssertSucceeded() =>
        Assert.True(Result.ExitCode == 0, $"bpftool prog {_verb} failed:\n{Result.StdOut}\n{Result.StdErr}");

    public void Dispose()
    {
        if (Directory.Exists(Pin)) Directory.Delete(Pin, recursive: true);
        else if (File.Exists(Pin)) File.Delete(Pin);
        _file.Dispose();
    }
}
