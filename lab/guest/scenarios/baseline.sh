# nothing injected (control)
inject() { truth family none; truth healthy 1; truth injected_bytes 0; }
