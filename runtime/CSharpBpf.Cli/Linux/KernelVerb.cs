using System;
using System.IO;
using System.Threading;
using CSharpBpf.Linux;
using CSharpBpf.Object;

namespace CSharpBpf.Cli.Linux;

/// <summary>Shared plumbing of the kernel verbs: typed loader errors become one clear line and exit code 1.</summary>
internal static class KernelVerb
{
    public static int Run(string verb, TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (BpfException e)
        {
            error.WriteLine($"csbpf {verb}: {e.Message}");
            return 1;
        }
        catch (BpfFormatException e)
        {
            error.WriteLine($"csbpf {verb}: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"csbpf {verb}: {e.Message}");
            return 2;
        }
        catch (System.Collections.Generic.KeyNotFoundException e)
        {
            error.WriteLine($"csbpf {verb}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Blocks until Ctrl-C or end of standard input (the attachment lives until then).</summary>
    public static void WaitForExit(TextWriter output)
    {
        output.WriteLine("attached; press Ctrl-C (or close stdin) to detach");
        using var done = new ManualResetEventSlim();
        ConsoleCancelEventHandler handler = (_, e) => { e.Cancel = true; done.Set(); };
        Console.CancelKeyPress += handler;
        try
        {
            var reader = new Thread(() => { while (Console.In.ReadLine() is not null) { } done.Set(); }) { IsBackground = true };
            reader.Start();
            done.Wait();
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }
}
