package org.vfzone.system;


import org.springframework.web.bind.annotation.GetMapping;

@PageController
class LoginController {

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
