using System.Diagnostics;
using System.IO;
using CSharpBpf.TestSupport;

namespace CSharpBpf.Linux.Tests.CompiledKinds;

/// <summary>Objects compiled from the C# twins in tests/fixtures/kernelkinds (generate.sh), and bpftool.</summary>
internal static class KernelKindFixtures
{
    public static string Object(string name) => RepoPaths.Fixture(Path.Combine("kernelkinds", name));

    /// <summary>Runs bpftool; (exit code, stdout + stderr). Null when bpftool is not installed.</summary>
    public static (int Exit, string Output)? Bpftool(params string[] args)
    {
        var psi = new ProcessStartInfo("bpftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
