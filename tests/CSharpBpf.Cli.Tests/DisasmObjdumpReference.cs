using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>
/// The objects `csbpf disasm` is checked on (every committed fixture and the disassembler's own
/// corpus) and llvm-objdump-22's text for each: run live when installed, kept as goldens in
/// tests/golden/disasm/ so the comparison also runs where LLVM is absent.
/// </summary>
internal static class DisasmObjdumpReference
{
    const string Tool = "llvm-objdump-22";

    public static IEnumerable<object[]> Objects()
    {
        // tests/fixtures/linux/*.o belong to the kernel tests and are rebuilt with them; they were
        // checked by hand (identical output) but are not pinned here so their rebuilds stay free.
        var dirs = new[] { RepoPaths.Fixtures, Path.Combine(GoldenFile.Directory, "disasm", "objects") };
        foreach (var dir in dirs.Where(Directory.Exists))
            foreach (var file in Directory.GetFiles(dir, "*.o").OrderBy(f => f, StringComparer.Ordinal))
                yield return new object[] { Path.GetRelativePath(RepoPaths.Root, file) };
    }

    /// <summary>False when llvm-objdump-22 is missing or CSHARPBPF_NO_LLVM=1 (then the goldens are the reference).</summary>
    public static bool LlvmAvailable { get; } = Probe();

    static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_LLVM") == "1") return false;
        try
        {
            return Run("--version").Exit == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The golden's name for an object and mode, e.g. disasm/fixtures/maps_mix.bpf.o.dr.txt.</summary>
    public static string GoldenName(string relativeObject, bool relocations) =>
        "disasm/expected/" + relativeObject.Replace('\\', '/').Replace("tests/", "").Replace('/', '_') + (relocations ? ".dr.txt" : ".d.txt");

    /// <summary>
    /// llvm-objdump's text for the object, with the file name in its first line written as
    /// `FILE` so goldens do not depend on where the checkout lives.
    /// </summary>
    public static string Expected(string relativeObject, bool relocations)
    {
        string name = GoldenName(relativeObject, relocations);
        if (LlvmAvailable)
        {
            string path = Path.Combine(RepoPaths.Root, relativeObject);
            var (exit, output, error) = Run(relocations ? "-d -r --no-show-raw-insn" : "-d --no-show-raw-insn", path);
            Assert.True(exit == 0, error);
            string text = WithPlaceholderPath(output, path);
            // An existing golden must say what llvm says today; a fixture someone just added has none
            // yet (CSHARPBPF_UPDATE_GOLDEN=1 writes it), which must not fail the live comparison.
            if (File.Exists(Path.Combine(GoldenFile.Directory, name)) || Environment.GetEnvironmentVariable("CSHARPBPF_UPDATE_GOLDEN") == "1")
                GoldenFile.AssertMatches(name, text);
            else
                Console.WriteLine($"note: no golden {name} yet; compared with live llvm-objdump only");
            return text;
        }
        string golden = Path.Combine(GoldenFile.Directory, name);
        Skip.IfNot(File.Exists(golden), $"neither llvm-objdump-22 nor a golden ({name}) is available for {relativeObject}");
        return File.ReadAllText(golden).Replace("\r\n", "\n");
    }

    public static string WithPlaceholderPath(string listing, string path) => listing.Replace(path + ":\tfile format", "FILE:\tfile format");

    static (int Exit, string Out, string Err) Run(string args, string? file = null)
    {
        var psi = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        if (file != null) psi.ArgumentList.Add(file);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}
